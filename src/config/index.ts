export { type Config, databaseOf, dataDirOf, defaultDataDir, type LoadConfigOptions, loadConfig } from './config.ts';
