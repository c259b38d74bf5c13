import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../context.ts';
import { AppError } from '../../shared/app-error.ts';
import { z } from 'zod';

/** The acting user of an API request, or UNAUTHENTICATED. */
export function apiActor(req: FastifyRequest): Actor {
  if (req.auth.actor) return req.auth.actor;
  if (req.auth.session?.pendingSecondFactor)
    throw new AppError('UNAUTHENTICATED', 'SECOND_FACTOR_REQUIRED', 'La double authentification doit être complétée (POST /api/v1/sessions/second-factor).');
  throw new AppError('UNAUTHENTICATED', 'UNAUTHENTICATED', 'Authentification requise (jeton Bearer ou compte technique).');
}

export const errorBody = z.object({
  code: z.string().describe('Code machine stable'),
  message: z.string().describe('Message en français'),
  fields: z.record(z.string(), z.string()).optional(),
});

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
};

export const idParam = z.object({ id: z.coerce.number().int().positive() });
