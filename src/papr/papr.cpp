// Placeholder so lpar_papr exists before its first real file.
