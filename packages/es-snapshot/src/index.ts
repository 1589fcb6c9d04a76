// @a4c-admin/es-snapshot: public surface (filled by its issue).
export {};
