export { run } from '../../test/integration/index';
