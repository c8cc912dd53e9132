export * from './types';
export * from './arguments';
export * from './tool-calls';
export { toolStepsOf, storedToolCall, type StoredToolCall, type ToolStep } from './stored-steps';
export { offerTools, compactDefinition, type OfferedTools, type OfferOptions } from './offer';
export { MAX_KEPT_CHARS } from './results';
export { flagApproval, type ApprovalFlags } from './flag-approval';
