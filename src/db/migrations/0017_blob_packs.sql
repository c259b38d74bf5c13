-- A blob written in a pack (the files of a flow's chunk, kept as one file on disk): the pack's name and the offset
-- of its first byte. NULL for a blob kept as its own file.
ALTER TABLE blobs ADD COLUMN pack text, ADD COLUMN pack_offset integer;
ALTER TABLE blobs ADD CONSTRAINT blobs_pack_located CHECK ((pack IS NULL) = (pack_offset IS NULL));
