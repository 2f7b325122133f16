/** The Web Connector backend that delivers the outbox to QuickBooks, and the .qwc file of a company file. */
export { createDeliveryBackend, DEFAULT_SESSION_IDLE_MS, type DeliveryBackendOptions } from './delivery-backend.ts';
export { type CompanyFileQwcOptions, companyFileQwc } from './qwc.ts';
