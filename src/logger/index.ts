export { createLogger, type Logger, type LoggerOptions, type LogLevel, redact, silentLogger } from './logger.ts';
