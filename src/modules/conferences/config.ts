// The conferences module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const CONFERENCES_CONFIG = {
  CONFERENCE_EMPTY_TIMEOUT_MS: Int(
    300000,
    0,
    86400000,
    'a started conference with nobody in it and no call ringing this long ends by itself (0: never)',
  ),
  CONFERENCE_MAX_PARTICIPANTS: Int(200, 1, 10000, 'participants a conference may list'),
  TELEPHONY_PROVIDER: Type.Enum(['simulated', 'webhook'], {
    default: 'simulated',
    description:
      'who carries conference calls: simulated (no carrier; answers after TELEPHONY_SIM_ANSWER_MS) or webhook (commands POSTed to TELEPHONY_WEBHOOK_URL, signed call-state callbacks)',
  }),
  TELEPHONY_RING_TIMEOUT_MS: Int(60000, 1000, 600000, 'a dialled leg not answered this long fails (reason ring-timeout) and is hung up'),
  TELEPHONY_SIM_ANSWER_MS: Int(2000, 0, 600000, 'simulated provider: how long a dialled number rings before it answers (or fails)'),
  TELEPHONY_SIM_FAIL_PATTERN: Type.String({
    default: '0000$',
    description: 'simulated provider: numbers matching this regular expression do not answer (call fails)',
  }),
  TELEPHONY_SIM_HANGUP_PATTERN: Type.String({
    default: '9999$',
    description: 'simulated provider: numbers matching this regular expression answer, then hang up after TELEPHONY_SIM_HANGUP_MS',
  }),
  TELEPHONY_SIM_HANGUP_MS: Int(5000, 0, 86400000, 'simulated provider: how long a hanging-up number stays in the call'),
  TELEPHONY_WEBHOOK_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'webhook provider: where dial / hangup / mute / unmute commands are POSTed' }),
  ),
  TELEPHONY_WEBHOOK_SECRET: Type.Optional(
    Type.String({ minLength: 16, description: 'webhook provider: HMAC-SHA256 key of commands and call-state callbacks' }),
  ),
  TELEPHONY_WEBHOOK_TIMEOUT_MS: Int(10000, 100, 120000, 'webhook provider: how long a command waits for the carrier'),
  TELEPHONY_CALLBACK_MAX_AGE_SECONDS: Int(
    300,
    1,
    86400,
    'webhook provider: a signed call-state callback older (or further in the future) than this is refused',
  ),
  SMS_PROVIDER: Type.Enum(['log', 'ronglian'], {
    default: 'log',
    description: 'who sends SMS notices: log (written to the log only) or ronglian (TemplateSMS)',
  }),
  RONGLIAN_BASE_URL: Type.String({
    default: 'https://app.cloopen.com:8883',
    pattern: '^https?://[^/?#]+$',
    description: 'Ronglian (cloopen) REST base URL',
  }),
  RONGLIAN_API_VERSION: Type.String({ default: '2013-12-26', pattern: '^[0-9-]{1,16}$', description: 'Ronglian REST API version in the path' }),
  RONGLIAN_ACCOUNT_SID: Type.Optional(Type.String({ minLength: 1, description: 'Ronglian main account ACCOUNT SID' })),
  RONGLIAN_AUTH_TOKEN: Type.Optional(Type.String({ minLength: 1, description: 'Ronglian main account AUTH TOKEN' })),
  RONGLIAN_APP_ID: Type.Optional(Type.String({ minLength: 1, description: 'Ronglian application id (appId of TemplateSMS)' })),
  RONGLIAN_TEMPLATE_ID: Type.String({
    default: '1',
    pattern: '^[0-9]{1,16}$',
    description: 'Ronglian SMS template of conference notices (1 is the test template)',
  }),
  SMS_TIMEOUT_MS: Int(10000, 100, 120000, 'how long an SMS send waits for the provider'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof CONFERENCES_CONFIG> {}
}
