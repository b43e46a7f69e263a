import { FACADES } from '../src/platform';
import { checkSettings, FACADE_PORT_VARIABLES } from '../src/settings';
import { problems } from './settings-problems';


describe('the settings npm start reads', () => {
  it('accepts the embedded defaults, with nothing set', () => {
    expect(problems({})).toEqual([]);
  });

  it('accepts RabbitMQ, PostgreSQL, SMTP and every facade on ports of its own', () => {
    expect(
      problems({
        AMQP_URI: 'amqp://guest:guest@127.0.0.1:5672',
        USER_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/user',
        PAYMENT_DATABASE_URL: 'postgresql://postgres@127.0.0.1/payment',
        SMTP_HOST: 'smtp.example.com',
        SMTP_PORT: '465',
        SMTP_SECURE: 'true',
        LOG_LEVEL: 'debug',
        WEB_PORT: '0',
        ADMIN_PORT: '9001',
        SUPPORT_PORT: '',
        LOGIN_RATE_LIMIT: 'off',
        WEB_PAYMENT_RATE_LIMIT: '100/10 seconds',
        STRIPE_API_BASE: 'http://stripe:12111',
        JWT_SECRET: 'a secret of this deployment',
      }),
    ).toEqual([]);
  });

  it('reports every wrong variable at once, each with its value and what is expected', () => {
    expect(problems({ WEB_PORT: 'notaport', SMTP_PORT: 'abc', LOGIN_RATE_LIMIT: 'lots' })).toEqual([
      'SMTP_PORT is "abc": expected a port number, 1 to 65535',
      'WEB_PORT is "notaport": expected a port number, 0 to 65535 (0 for any free port)',
      'LOGIN_RATE_LIMIT is "lots": expected <max>/<window> such as 10/minute or 100/10 seconds, or off',
    ]);
  });

  it.each([
    ['ADMIN_PORT', '70000', 'expected a port number, 0 to 65535'],
    ['SUPPORT_PORT', '-1', 'expected a port number, 0 to 65535'],
    ['STRIPE_EMULATOR_PORT', '12111.5', 'expected a port number, 0 to 65535'],
    ['SMTP_PORT', '0', 'expected a port number, 1 to 65535'],
    ['SMTP_HOST', 'smtp://mail.example.com:25', 'expected a host name or address such as smtp.example.com'],
    ['SMTP_SECURE', 'yes', 'expected true or false'],
    ['AMQP_URI', 'http://127.0.0.1:5672', 'expected amqp://…, amqps://… or memory://…'],
    ['USER_DATABASE_URL', 'mysql://127.0.0.1/user', 'expected a URL such as postgres://'],
    ['STRIPE_API_BASE', 'localhost:12111', 'expected a URL such as http://'],
    ['LOG_LEVEL', 'loud', 'expected one of fatal, error, warn, info, debug, trace, silent'],
    ['MAX_WORKERS', '0', 'expected a whole number of at least 1'],
    ['METRICS_PORT', 'prometheus', 'expected a port number, 0 to 65535, or off'],
    ['STRIPE_TIMEOUT_MS', '50', 'expected a whole number of milliseconds, at least 100'],
    ['PAYMENT_AUTHENTICATION_TIMEOUT', 'soon', 'expected a duration such as 15m or 90s'],
    ['PASSWORD_SCRYPT_COST', '1000', 'expected a power of two of at least 1024'],
    ['INITIAL_ADMIN_EMAIL', 'admin', 'expected an email address'],
    ['JWT_SECRET', '', 'expected the key the facades sign their tokens with'],
    ['PAYMENT_RATE_LIMIT', '20 per minute', 'expected <max>/<window>'],
    ['SUPPORT_LOGIN_RATE_LIMIT', '0/minute', 'expected <max>/<window>'],
  ])('rejects %s=%s, saying what it expects', (variable, value, expected) => {
    const found = problems({ [variable]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${variable} is `);
    expect(found[0]).toContain(expected);
  });

  it('says it all in one error message, one line per variable', () => {
    expect(() => checkSettings({ WEB_PORT: 'notaport', SMTP_PORT: 'abc' })).toThrow(
      'the settings are not usable:\n  SMTP_PORT is "abc": expected a port number, 1 to 65535\n  WEB_PORT is "notaport"',
    );
  });
});

describe('the facade ports the settings check', () => {
  it('are those of every facade the platform starts', () => {
    expect([...FACADE_PORT_VARIABLES]).toEqual(FACADES.map((facade) => facade.portVar));
  });
});
