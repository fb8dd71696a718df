export { run } from '../../integration/index';
