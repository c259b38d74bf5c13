export * from './model.ts';
export { createContract, amendContract } from './save-contract.ts';
export { getContract, listContracts, contractAsInput, contractView, findContractOfBuyer, loadContract, type ContractView } from './get-contract.ts';
export { loadContractAccess, canManageAsBuyer, canCreateAsTitulaire } from './access.ts';
