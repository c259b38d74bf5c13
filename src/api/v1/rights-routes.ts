import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';

export async function rightsRoutes(_app: FastifyInstance, _ctx: Ctx) {}
