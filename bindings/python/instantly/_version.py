__version__ = "0.1.0"  # keep in step with project(VERSION) in CMakeLists.txt
