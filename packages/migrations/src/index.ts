// @a4c-admin/migrations: public surface (filled by its issue).
export {};
