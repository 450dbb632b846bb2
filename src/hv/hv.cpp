// Placeholder translation unit so lpar_hv exists before its first real file.
