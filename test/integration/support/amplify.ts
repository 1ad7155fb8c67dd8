import { Amplify } from 'aws-amplify';
import { stack } from './stack';

/** aws-amplify v6 as an app configures it, against the local stack: only the endpoint says it is not AWS. */
export const configureAmplify = (): void =>
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: stack.cognito.userPoolId,
        userPoolClientId: stack.cognito.clientId,
        userPoolEndpoint: stack.cognito.endpoint,
      },
    },
  });
