export {
  ADMIN_API_VERSION,
  type AdminClientOptions,
  type AdminGraphqlClient,
  createAdminGraphqlClient,
  type GraphqlSuccess,
  type QueryCost,
  retryAfterMs,
  type ThrottleStatus,
} from './graphql-client.ts';
