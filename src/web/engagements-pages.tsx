import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';

export async function engagementsPages(_app: FastifyInstance, _ctx: Ctx) {}
