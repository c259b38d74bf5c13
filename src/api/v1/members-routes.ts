import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';

export async function membersRoutes(_app: FastifyInstance, _ctx: Ctx) {}
