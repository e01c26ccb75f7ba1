import { createJestConfig } from '@todo/jest-config';

export default createJestConfig();
