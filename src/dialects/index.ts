// The seed dialects: route plugins over the same services, in their own wire formats.
// Imported only by app.ts; nothing else imports a dialect.
import type { RoutePlugin } from '../modules/deps.js';
import { callcentreDialect } from './callcentre/plugin.js';
import { classroomDialect } from './classroom/plugin.js';
import { conferenceDialect } from './conference/plugin.js';
import { seed003MessagingDialect } from './seed003/messaging.js';
import { seed003PairingDialect } from './seed003/pairing.js';
import { customerServicePages } from './videocloud/customerservice.js';
import { videocloudDialect } from './videocloud/plugin.js';

export const DIALECTS: readonly RoutePlugin[] = [
  classroomDialect, // seed 002: /index.php?svc=…&cmd=…
  callcentreDialect, // seed 000: GET /volunteer/…, /conversation/…, /charge/…, /feedback, *_login.php
  seed003PairingDialect, // seed 003: POST /api/v1/video/pair/…, video/before/check, video/delPairRecord
  seed003MessagingDialect, // seed 003: POST /api/v1/im/before/check, /api/v1/translate/action, /api/server/im/send/{tip,system}
  conferenceDialect, // seed 001: POST /getUser, /getConf, /createConf, /inviteConf, … /sendNotice (root paths)
  videocloudDialect, // seed 004: /LiveVideoServer/ajx/thirdParty*.do, updateDeviceid.do, logout.do, m_listVideoByUid.do, listVideoConditional.do, index.jsp, pictureHall.jsp
  customerServicePages, // seed 004 §4.2: /LiveVideoServer/chat4help.jsp, chat4tp.do, images/mydiv_ico.png, js/consult.js, js/seat.js
];
