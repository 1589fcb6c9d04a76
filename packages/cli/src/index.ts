// a4c-admin: the CLI and the ready-wired API.
export {};
