export {
  createStockyClient,
  STOCKY_API_URL,
  type StockyClient,
  type StockyClientOptions,
  type StockyResource,
  stockyShutDownError,
  verifyStockyKey,
} from './client.ts';
