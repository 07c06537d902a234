-- An area's name as its boundary file gives it (ONS files: LSOA11NM, LSOA21NM), kept so
-- that areas imported only as boundaries are shown by name, not by code alone. A name
-- given by `wholeplace areas import` (the areas table) wins over it.
ALTER TABLE boundaries ADD COLUMN name VARCHAR;
