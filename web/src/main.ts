import './style.css';
import { Hub } from 'aws-amplify/utils';
import { initApi } from './api';
import { configureAuth } from './auth/session';
import { parseConfig, type WebConfig } from './config';
import { auditPage } from './pages/audit';
import { authCallbackPage } from './pages/auth-callback';
import { confirmPage } from './pages/confirm';
import { filesPage } from './pages/files';
import { homePage } from './pages/home';
import { invitesPage } from './pages/invites';
import { membersPage } from './pages/members';
import { securityPage } from './pages/security';
import { signInPage } from './pages/sign-in';
import { signUpPage } from './pages/sign-up';
import { ssoPage } from './pages/sso';
import { endSession, startRouter } from './router';

/** The stage, from `/config.json` beside the app (never cached: a new deploy may point elsewhere). */
const loadConfig = async (): Promise<WebConfig> => {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json answered ${res.status}`);
  return parseConfig(await res.json());
};

const start = async (): Promise<void> => {
  const config = await loadConfig();
  configureAuth(config);
  initApi(config);
  // A refresh Cognito refused (signed out everywhere, user disabled): the session is over here too.
  Hub.listen('auth', ({ payload }) => {
    if (payload.event === 'tokenRefresh_failure') void endSession('session-ended');
  });
  await startRouter({
    '/': homePage,
    '/sign-up': signUpPage,
    '/confirm': confirmPage,
    '/sign-in': signInPage,
    '/auth/callback': authCallbackPage,
    '/security': securityPage,
    '/members': membersPage,
    '/invites': invitesPage,
    '/files': filesPage,
    '/audit': auditPage,
    '/sso': ssoPage,
  });
};

start().catch((err: unknown) => {
  const main = document.getElementById('main');
  if (main) main.textContent = `Tenantgate could not start: ${err instanceof Error ? err.message : String(err)}`;
});
