export { createStructure, createStructureInput } from './create-structure.ts';
export { loadMembership, listStructuresOfUser, findStructure } from './repository.ts';
export { authorize, can, hasRight, STRUCTURE_PERMISSIONS, type Membership, type StructureAction } from './permissions.ts';
export * from './model.ts';
export { getStructure } from './get-structure.ts';
