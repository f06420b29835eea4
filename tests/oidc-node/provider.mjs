// A real OpenID Connect provider (panva/oidc-provider) on 127.0.0.1 for the console's single sign-on tests.
//   node provider.mjs <port>     prints "ready <issuer>" once it listens.
// Clients (secret = "secret-" + suffix): gw-good issues honest ID tokens; gw-bad-issuer, gw-wrong-audience and
// gw-expired issue ID tokens signed with the provider's own key but with another issuer, another audience, or an
// expiry an hour ago - the relying party must refuse each. Any login works on the development login page; the login
// name decides the claims: <name>@example.com, email verified, and the roles listed in ROLES below.
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const ROLES = {
  alice: ['console-owner'],
  dave: ['console-developer'],
  fiona: ['console-finance', 'unrelated-group'],
  nobody: ['unrelated-group'],
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const clientIds = ['good', 'bad-issuer', 'wrong-audience', 'expired'];

const provider = new Provider(issuer, {
  clients: clientIds.map((suffix) => ({
    client_id: `gw-${suffix}`,
    client_secret: `secret-${suffix}`,
    redirect_uris: ['http://127.0.0.1/console/signin-oidc'],
    post_logout_redirect_uris: ['http://127.0.0.1/console/signout-oidc'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], roles: ['roles'] },
  scopes: ['openid', 'email', 'profile', 'roles'],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['test-cookie-key-0123456789'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.com`, email_verified: true, name: id[0].toUpperCase() + id.slice(1), roles: ROLES[id] ?? [] };
      },
    };
  },
  // No consent screen: the test provider grants every requested scope and claim.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile roles');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'roles']);
    await grant.save();
    return grant;
  },
});

// The gateway listens on a port chosen at run time: allow its callback on any loopback port.
const allowed = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  return /^http:\/\/127\.0\.0\.1:\d+\/console\/signin-oidc$/.test(value) || allowed.call(this, value);
};

// Likewise where the provider sends the browser back after RP-initiated logout.
const allowedAfterLogout = provider.Client.prototype.postLogoutRedirectUriAllowed;
provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(value) {
  return /^http:\/\/127\.0\.0\.1:\d+\/console\/signout-oidc$/.test(value) || allowedAfterLogout.call(this, value);
};

const tamper = {
  'gw-bad-issuer': (p) => { p.iss = 'http://127.0.0.1:1/someone-else'; },
  'gw-wrong-audience': (p) => { p.aud = 'another-application'; },
  'gw-expired': (p) => { p.iat -= 7200; p.exp = Math.floor(Date.now() / 1000) - 3600; },
};

provider.use(async (ctx, next) => {
  await next();
  const change = tamper[ctx.oidc?.client?.clientId];
  if (ctx.path === '/token' && ctx.status === 200 && change && ctx.body?.id_token) {
    const payload = jose.decodeJwt(ctx.body.id_token);
    change(payload);
    const idToken = await new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' }).sign(privateKey);
    ctx.body = { ...ctx.body, id_token: idToken };
  }
});

provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
