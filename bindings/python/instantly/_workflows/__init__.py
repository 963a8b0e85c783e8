"""The workflows' Python half (instantly.workflows is the public face); `lead_import` also gives
the generated `Leads` resource its hand-written `import_leads` method."""
