export { createTestDatabase, loginAsRole, type TestDatabase } from './test-database.js';
