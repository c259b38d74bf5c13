export * from './decompte.ts';
export * from './deadlines.ts';
export * from './pieces-model.ts';
export { createWorksContract, recordIndexes, getWorksContract, listWorksContracts, worksContractInput, type WorksContractInput } from './works-contracts.ts';
export { depositPiece, previewPiece, actOnPiece, pieceInput, pieceActionInput, type PieceInput } from './pieces.ts';
export { getBillingFile, getPiece, getPiecePdf, searchPieces } from './billing-file.ts';
export { renderPiecePdf, PIECE_TITLES, amountFr, type PiecePdfData } from './piece-pdf.ts';
export { runWorksClocks } from './clocks.ts';
