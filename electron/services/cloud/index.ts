export * from './client';
export * from './regions';
export * from './schemas';
export * from './developer-certificate';
