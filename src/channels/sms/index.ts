export { fitToBudget, type FittedSms, type SmsPart } from "./budget.ts";
export { type CompiledSms, DEFAULT_SMS_BUDGET, smsChannel } from "./channel.ts";
export { gsmSeptets, isGsm7, normaliseForSms } from "./gsm7.ts";
export { SEGMENT_LIMITS, type SegmentCount, type SmsEncoding, countSegments } from "./segment.ts";
