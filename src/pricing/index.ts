/**
 * The pricing contract. `PriceTable` (in table.ts) implements `Pricer`.
 */
import { reportedModel, type CostBreakdown, type PromptRecord, type TokenUsage } from '../core/record.js';

export interface PricingRequest {
  /** Model id as requested or served: an alias, a dated id or a snapshot id. */
  model: string;
  /** The instant whose prices apply (the record's start time). */
  at: Date;
  usage: TokenUsage;
  /** A Message Batches request (also true when `usage.service_tier` is `batch`). */
  batch: boolean;
  /** `usage.inference_geo`; `us` costs 1.1 times on the models where it applies. */
  inferenceGeo: string | null;
  /** `usage.speed`; `fast` uses the model's fast-mode rates. */
  speed: string | null;
}

export type PricingResult =
  | { priced: true; cost: CostBreakdown; priceEntry: string; model: string }
  | { priced: false; cost: null; priceEntry: null; model: string; reason: string };

export interface Pricer {
  price(request: PricingRequest): PricingResult;
}

/** Build the pricing request for a record: its reported model at its own start time. */
export function pricingRequestFor(record: PromptRecord): PricingRequest {
  return {
    model: reportedModel(record),
    at: record.startedAt,
    usage: record.usage,
    batch: record.batch,
    inferenceGeo: record.inferenceGeo,
    speed: record.speed,
  };
}
