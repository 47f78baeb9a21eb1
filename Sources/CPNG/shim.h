#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpng reports errors by longjmp, which Swift cannot catch; these two helpers keep the
   setjmp on the C side and return -1 with the message in `error` instead. */

static inline void bce3s_png_error(png_structp png, png_const_charp message) {
    char *buffer = (char *)png_get_error_ptr(png);
    if (buffer) { strncpy(buffer, message, 255); buffer[255] = 0; }
    png_longjmp(png, 1);
}

static inline void bce3s_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/* Writes an 8-bit RGBA image (rows of width*4 bytes) with `count` tEXt chunks to `path`.
   Returns 0, or -1 with a message of at most 255 bytes in `error` (256 bytes). */
static inline int bce3s_png_write_rgba(const char *path, const unsigned char *rgba, unsigned width, unsigned height,
                                       const char *const *keys, const char *const *values, int count, char *error) {
    FILE *file = fopen(path, "wb");
    if (!file) { snprintf(error, 256, "cannot open for writing"); return -1; }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error, bce3s_png_error, bce3s_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_textp texts = (png_textp)calloc(count > 0 ? (size_t)count : 1, sizeof(png_text));
    if (!png || !info || !texts) {
        png_destroy_write_struct(&png, &info); free(texts); fclose(file);
        snprintf(error, 256, "out of memory"); return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info); free(texts); fclose(file); return -1;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    for (int i = 0; i < count; i++) {
        texts[i].compression = PNG_TEXT_COMPRESSION_NONE;
        texts[i].key = (png_charp)keys[i];
        texts[i].text = (png_charp)values[i];
    }
    if (count > 0) png_set_text(png, info, texts, count);
    png_write_info(png, info);
    for (unsigned y = 0; y < height; y++) png_write_row(png, rgba + (size_t)y * width * 4);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(texts);
    if (fclose(file) != 0) { snprintf(error, 256, "cannot finish writing"); return -1; }
    return 0;
}

/* Decodes a whole PNG (so that a corrupt file fails), reporting its size, colour type and
   bit depth, the pixels as 8-bit RGBA in `*pixels` (malloc'd, for the caller to free) and its
   text chunks as "key\0value\0…" in `*texts` (malloc'd), their number in `*textCount`.
   Returns 0, or -1 with a message in `error` (256 bytes). */
static inline int bce3s_png_read(const char *path, unsigned *width, unsigned *height, int *colorType, int *bitDepth,
                                 unsigned char **pixels, char **texts, size_t *textsSize, int *textCount, char *error) {
    *pixels = NULL; *texts = NULL; *textsSize = 0; *textCount = 0;
    FILE *file = fopen(path, "rb");
    if (!file) { snprintf(error, 256, "cannot open for reading"); return -1; }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, error, bce3s_png_error, bce3s_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) { png_destroy_read_struct(&png, &info, NULL); fclose(file); snprintf(error, 256, "out of memory"); return -1; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL); fclose(file);
        free(*pixels); free(*texts); *pixels = NULL; *texts = NULL; return -1;
    }
    png_init_io(png, file);
    png_read_info(png, info);
    *width = png_get_image_width(png, info);
    *height = png_get_image_height(png, info);
    *colorType = png_get_color_type(png, info);
    *bitDepth = png_get_bit_depth(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_read_update_info(png, info);
    *pixels = (unsigned char *)malloc((size_t)*width * *height * 4);
    if (!*pixels) png_error(png, "out of memory");
    for (unsigned y = 0; y < *height; y++) png_read_row(png, *pixels + (size_t)y * *width * 4, NULL);
    png_read_end(png, info);
    png_textp chunks = NULL;
    int n = png_get_text(png, info, &chunks, NULL);
    size_t size = 0;
    for (int i = 0; i < n; i++) size += strlen(chunks[i].key) + 1 + chunks[i].text_length + 1;
    *texts = (char *)malloc(size > 0 ? size : 1);
    if (!*texts) png_error(png, "out of memory");
    char *cursor = *texts;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(chunks[i].key) + 1;
        memcpy(cursor, chunks[i].key, k); cursor += k;
        memcpy(cursor, chunks[i].text, chunks[i].text_length); cursor += chunks[i].text_length;
        *cursor++ = 0;
    }
    *textsSize = size; *textCount = n;
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    return 0;
}
