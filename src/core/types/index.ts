export * from './message';
export * from './model';
export * from './thread';
export * from './assistant';
export * from './inference';
export * from './tools';
