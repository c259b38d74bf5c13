export { searchDirectory, directorySearchInput, type DirectorySearchInput, type DirectoryPage } from './search-directory.ts';
export { exportDirectory } from './export-directory.ts';
export { requirementsText, DIRECTORY_CSV_HEADER, type DirectoryEntry, type Requirements } from './model.ts';
