import { checkEveryResponse } from './support/api';
import { documentContract } from './support/contract';

// Every answer a test gets through api() must be what docs/openapi.json declares for its operation
// (status, content type, body, required headers), or the test fails where it called.
const contract = documentContract();
checkEveryResponse(contract.assert);
