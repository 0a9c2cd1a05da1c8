// A real OpenID provider for the tests (the `oidc-provider` package), configured from the
// environment:
//
//   OIDC_PORT      the port to listen on (127.0.0.1); the issuer is http://127.0.0.1:<port>
//   OIDC_CLIENTS   JSON array of clients: {client_id, client_secret?, auth: "client_secret_basic"
//                  | "client_secret_post" | "private_key_jwt", redirect_uris: [...]}; a
//                  private_key_jwt client is registered with the relying party key printed below
//   OIDC_ACCOUNTS  JSON object: login → {sub, email, email_verified}
//   OIDC_CLAIMS_IN_ID_TOKEN  1: the e-mail claims in the ID token too (default: UserInfo only)
//
// Every start signs with a fresh RSA key (a restart on the same port is a key rotation), and
// generates one relying party key pair for the private_key_jwt clients. When ready it prints one
// JSON line: {"issuer", "rpKey": {"kid", "pem"}} (the relying party's private key, PKCS#8 PEM).
//
// The login page (/interaction/<uid>) is a plain form (login, password); any password is accepted
// for a known login, an unknown one is refused on the page. Consent is granted with the login.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

// Standard output carries the ready line only (the caller may stop reading it): the provider's
// notices go to standard error.
for (const level of ['log', 'info', 'warn', 'debug']) {
  console[level] = (...args) => process.stderr.write(`${args.join(' ')}\n`);
}

const port = Number(process.env.OIDC_PORT ?? 0);
const clients = JSON.parse(process.env.OIDC_CLIENTS ?? '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');
const issuer = `http://127.0.0.1:${port}`;

function rsaJwk(use) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return {
    kid,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, use, alg: 'RS256' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use, alg: 'RS256' },
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
  };
}

const signing = rsaJwk('sig');
const rp = rsaJwk('sig');

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({
    client_id: c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    token_endpoint_auth_method: c.auth,
    ...(c.auth === 'private_key_jwt' ? { jwks: { keys: [rp.publicJwk] }, token_endpoint_auth_signing_alg: 'RS256' } : {}),
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  })),
  jwks: { keys: [signing.privateJwk] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // By default the scopes' claims (email, email_verified) come from the UserInfo endpoint only
  // (OpenID Connect Core 1.0 §5.4); OIDC_CLAIMS_IN_ID_TOKEN=1 puts them in the ID token too, as
  // many providers do. The relying party must handle both.
  conformIdTokenClaims: process.env.OIDC_CLAIMS_IN_ID_TOKEN !== '1',
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['sportello-test-cookie-key'] },
  async findAccount(_ctx, id) {
    const account = Object.values(accounts).find((a) => a.sub === id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: account.email_verified !== false, name: account.name ?? account.email };
      },
    };
  },
});
// Plain HTTP on the loopback interface: tests only.
provider.proxy = false;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1><p>Sign in to continue to ${escape(details.params.client_id)}</p>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></main></body></html>`;
    return undefined;
  }
  if (ctx.method === 'POST' && match[2]) {
    const raw = await new Promise((resolve) => {
      let data = '';
      ctx.req.on('data', (chunk) => (data += chunk));
      ctx.req.on('end', () => resolve(data));
    });
    const form = new URLSearchParams(raw);
    const account = accounts[form.get('login') ?? ''];
    if (!account) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = '<!doctype html><html lang="en"><body><p role="alert">Unknown login</p></body></html>';
      return undefined;
    }
    const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
    ctx.redirect(returnTo);
    ctx.status = 303;
    return undefined;
  }
  return next();
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer, rpKey: { kid: rp.kid, pem: rp.pem } })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
