// Loads the module list in every test file before its tests, as the api and the workers
// load it at start: the error table (infra/errors.ts) gets every module's codes from the
// list, so a unit test that uses a module's service or scripts alone sees them too.
import '../../src/modules/index.js';
