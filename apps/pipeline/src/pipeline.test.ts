import { endToEndSuite } from './test-support/e2e-suite.js';

endToEndSuite('fs');
