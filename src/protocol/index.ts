export * from './entities';
export * from './messages';
export * from './agent';
export * from './links';
export * from './assistant-form';
export * from './dispatch';
