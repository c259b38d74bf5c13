import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';

export async function servicesRoutes(_app: FastifyInstance, _ctx: Ctx) {}
