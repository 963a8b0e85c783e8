// A real PostgreSQL 15 server for a test: 127.0.0.1, a free port, a temporary
// directory, no durability (fsync off); stopped (`pg_ctl stop -m fast`) and its
// directory removed by the destructor.
//
//   PostgresServer pg;
//   pg.psql("CREATE ROLE worker LOGIN PASSWORD 'pw'; CREATE DATABASE jobs OWNER worker");
//   auto url = pg.url("worker", "pw", "jobs");  // "postgresql://worker:pw@127.0.0.1:PORT/jobs"
//   pg.psql_output("SELECT 1");                 // "1"
//   pg.psql_as("worker", "wrong", "SELECT 1");  // throws: password authentication failed
//
// PostgreSQL refuses to run as root, so initdb and pg_ctl run as the `postgres`
// account (runuser) on a directory chowned to it. The superuser `postgres` has a
// random password and every connection must give one (scram-sha-256), so a test
// can check that a wrong password is refused. The server's log is
// dir() / "server.log"; a failed start puts it in the exception.
//
// Debian's postgresql-15 is installed by scripts/setup; a missing binary fails
// the test with a message rather than skipping it.
#pragma once

#include <fcntl.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/local_server.hpp"  // unused_local_port

extern char** environ;

namespace instantly::testing {

class PostgresServer {
 public:
  static constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
  static constexpr const char* kRunuser = "/usr/sbin/runuser";
  static constexpr const char* kAccount = "postgres";  ///< the OS account, and the superuser role

  PostgresServer() : password_(random_password()) {
    for (const char* tool : {"initdb", "pg_ctl", "postgres", "psql"}) {
      if (!std::filesystem::exists(bin(tool))) {
        throw std::runtime_error(bin(tool) + " is missing: scripts/setup installs postgresql-15");
      }
    }
    if (!std::filesystem::exists(kRunuser)) throw std::runtime_error(std::string(kRunuser) + " is missing");
    const passwd* account = ::getpwnam(kAccount);
    if (account == nullptr) {
      throw std::runtime_error("PostgresServer: no `postgres` account: scripts/setup installs postgresql-15");
    }

    char pattern[] = "/tmp/instantly-postgres-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("PostgresServer: mkdtemp failed");
    dir_ = pattern;
    try {
      if (::chown(pattern, account->pw_uid, account->pw_gid) != 0) {
        throw std::runtime_error("PostgresServer: could not hand " + dir_.string() + " to the postgres account");
      }
      init(account->pw_uid, account->pw_gid);
      start();
    } catch (...) {
      stop();  // the destructor does not run for a constructor that throws
      throw;
    }
  }

  ~PostgresServer() { stop(); }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const noexcept { return port_; }
  std::string host() const { return "127.0.0.1"; }
  std::string superuser() const { return kAccount; }
  std::string superuser_password() const { return password_; }
  const std::filesystem::path& dir() const noexcept { return dir_; }

  /// "postgresql://user:password@127.0.0.1:PORT/database", each part percent-encoded.
  std::string url(std::string_view user, std::string_view password, std::string_view database = "postgres") const {
    return "postgresql://" + percent_encode(user) + ":" + percent_encode(password) + "@" + host() + ":" +
           std::to_string(port_) + "/" + percent_encode(database);
  }
  std::string superuser_url(std::string_view database = "postgres") const {
    return url(kAccount, password_, database);
  }

  /// Runs SQL as the superuser (over TCP, as a client would); throws with psql's stderr on failure.
  /// The SQL goes in on stdin, so each statement runs on its own: CREATE DATABASE may follow CREATE ROLE.
  void psql(std::string_view sql, std::string_view database = "postgres") const {
    psql_as(kAccount, password_, sql, database);
  }

  /// Like psql(), returning the rows unaligned (`psql -At`): "1", or "a|b\nc|d"; no trailing newline.
  std::string psql_output(std::string_view sql, std::string_view database = "postgres") const {
    return psql_as(kAccount, password_, sql, database);
  }

  /// Like psql_output(), as another role: a wrong password throws ("password authentication failed").
  std::string psql_as(std::string_view user, std::string_view password, std::string_view sql,
                      std::string_view database = "postgres") const {
    const Result result = run({bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host(), "-p",
                               std::to_string(port_), "-U", std::string(user), "-d", std::string(database), "-f", "-"},
                              sql,
                              // In the environment, not on the command line where `ps` would show it.
                              {"PGPASSWORD=" + std::string(password), "PGCONNECT_TIMEOUT=10"});
    if (result.status != 0) throw std::runtime_error("PostgresServer: psql failed: " + result.err);
    std::string out = result.out;
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

 private:
  struct Result {
    int status;  ///< the exit status, or -1 when the program did not exit normally
    std::string out;
    std::string err;
  };

  static std::string bin(const char* tool) { return std::string(kBinDir) + "/" + tool; }
  std::string data_dir() const { return (dir_ / "data").string(); }
  std::string log_file() const { return (dir_ / "server.log").string(); }

  static std::vector<std::string> as_postgres(std::vector<std::string> args) {
    args.insert(args.begin(), {kRunuser, "-u", kAccount, "--"});
    return args;
  }

  void init(uid_t uid, gid_t gid) const {
    // initdb reads the password from a file (not argv), which the `postgres` account must be able to read.
    const std::string pwfile = (dir_ / "superuser.pw").string();
    std::ofstream(pwfile) << password_ << '\n';
    if (::chown(pwfile.c_str(), uid, gid) != 0 || ::chmod(pwfile.c_str(), 0600) != 0) {
      throw std::runtime_error("PostgresServer: could not hand " + pwfile + " to the postgres account");
    }
    // --no-sync: a throwaway cluster; skipping the fsyncs saves most of initdb's time.
    const Result result = run(as_postgres({bin("initdb"), "-D", data_dir(), "-U", kAccount, "--pwfile=" + pwfile,
                                           "-A", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync",
                                           "--no-instructions"}));
    std::filesystem::remove(pwfile);
    if (result.status != 0) throw std::runtime_error("PostgresServer: initdb failed:\n" + result.err + result.out);

    // Appended as root, the file stays the postgres account's. The port is given at start (see start()).
    std::ofstream conf(data_dir() + "/postgresql.conf", std::ios::app);
    conf << "\n# tests/support/postgres_server.hpp\n"
        << "listen_addresses = '127.0.0.1'\n"
        << "unix_socket_directories = '" << dir_.string() << "'\n"  // not /var/run/postgresql: that is the system's
        << "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n";
    if (!conf.flush()) throw std::runtime_error("PostgresServer: could not write " + data_dir() + "/postgresql.conf");
  }

  void start() {
    // The port is free when picked, but another process may take it before the
    // server binds it; then the server exits at once, so another port is cheap.
    for (int attempt = 1;; ++attempt) {
      port_ = unused_local_port();
      std::filesystem::remove(log_file());  // a retry's log then tells only of that attempt
      const Result result = run(as_postgres({bin("pg_ctl"), "-D", data_dir(), "-l", log_file(), "-o",
                                             "-p " + std::to_string(port_), "-w", "-t", "60", "start"}));
      if (result.status == 0) return;
      const std::string log = read_file(log_file());
      if (attempt < 5 && log.find("Address already in use") != std::string::npos) continue;
      throw std::runtime_error("PostgresServer: pg_ctl start failed:\n" + result.err + result.out +
                               "\n--- " + log_file() + " ---\n" + log);
    }
  }

  void stop() noexcept {
    if (dir_.empty()) return;
    std::error_code ignored;
    // postmaster.pid exists while a server runs (or after it crashed, which pg_ctl copes with).
    if (std::filesystem::exists(dir_ / "data" / "postmaster.pid", ignored)) {
      try {
        const auto stop_mode = [this](const char* mode) {
          return run(as_postgres({bin("pg_ctl"), "-D", data_dir(), "-m", mode, "-w", "-t", "60", "stop"})).status;
        };
        if (stop_mode("fast") != 0) stop_mode("immediate");
      } catch (...) {  // a destructor must not throw; removing the directory is still worth trying
      }
    }
    std::filesystem::remove_all(dir_, ignored);
  }

  /// Runs a program (argv, no shell) in dir_, with `input` on stdin, and returns its exit status and
  /// output. stdin/stdout/stderr are memfds rather than pipes: nothing to deadlock on, whatever the sizes.
  Result run(const std::vector<std::string>& args, std::string_view input = {},
             const std::vector<std::string>& extra_env = {}) const {
    // libpq and the server tools read PG* variables (PGSSLMODE, PGOPTIONS, ...): drop the caller's.
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      if (std::string_view(*entry).substr(0, 2) != "PG") env.emplace_back(*entry);
    }
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    // Built before fork(): the child of a threaded program may only make async-signal-safe calls.
    std::vector<char*> argv, envp;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    for (const std::string& var : env) envp.push_back(const_cast<char*>(var.c_str()));
    argv.push_back(nullptr);
    envp.push_back(nullptr);

    const int in = memfd("stdin"), out = memfd("stdout"), err = memfd("stderr");
    const auto close_all = [&] { for (int fd : {in, out, err}) if (fd >= 0) ::close(fd); };
    if (in < 0 || out < 0 || err < 0 || !write_all(in, input) || ::lseek(in, 0, SEEK_SET) != 0) {
      close_all();
      throw std::runtime_error("PostgresServer: could not set up " + args[0] + "'s input and output");
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
      close_all();
      throw std::runtime_error("PostgresServer: fork failed");
    }
    if (pid == 0) {
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      // The `postgres` account may not enter the caller's directory (often /root), which initdb complains about.
      if (::chdir(dir_.c_str()) != 0) ::_exit(126);
      // The server pg_ctl leaves running must hold none of the test's descriptors (a held pipe would
      // keep a test harness waiting for end-of-file after the test has exited).
      ::close_range(3, ~0U, 0);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    Result result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_all(out), read_all(err)};
    close_all();
    if (result.status == 127 || result.status == 126) result.err += "(could not run " + args[0] + ")";
    return result;
  }

  /// A memfd numbered 3 or above even when the test runs with 0, 1 or 2 closed: the child's dup2()
  /// onto those must not be a no-op, which would leave the descriptor close-on-exec.
  static int memfd(const char* name) {
    const int fd = ::memfd_create(name, MFD_CLOEXEC);
    if (fd < 0 || fd > 2) return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    return moved;
  }

  static bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      const ssize_t written = ::write(fd, data.data(), data.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
  }

  /// Everything the child wrote: it shared the memfd's offset, so read from the start.
  static std::string read_all(int fd) {
    std::string text;
    if (::lseek(fd, 0, SEEK_SET) != 0) return text;
    char buffer[4096];
    for (;;) {
      const ssize_t got = ::read(fd, buffer, sizeof(buffer));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return text;
      text.append(buffer, static_cast<std::size_t>(got));
    }
  }

  static std::string read_file(const std::string& path) {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  }

  static std::string random_password() {
    std::random_device random;
    std::string password;
    for (int i = 0; i < 24; ++i) password += "0123456789abcdef"[random() % 16];
    return password;
  }

  /// RFC 3986: everything but the unreserved characters [A-Za-z0-9-._~] becomes %XX.
  static std::string percent_encode(std::string_view text) {
    std::string encoded;
    for (const unsigned char c : text) {
      const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                              c == '-' || c == '.' || c == '_' || c == '~';
      if (unreserved) {
        encoded += static_cast<char>(c);
      } else {
        encoded += '%';
        encoded += "0123456789ABCDEF"[c >> 4];
        encoded += "0123456789ABCDEF"[c & 15];
      }
    }
    return encoded;
  }

  std::string password_;
  std::filesystem::path dir_;
  int port_ = 0;
};

}  // namespace instantly::testing
