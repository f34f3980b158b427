export * from './migrations.js';
export * from './sqlite-storage.js';
