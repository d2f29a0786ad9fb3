{
  "targets": [
    {
      "target_name": "rnn_kernels",
      "sources": ["src/addon.c", "src/kernels_base.c", "src/kernels_avx2.c", "src/kernels_avx512.c"],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-Wno-unused-function", "-Werror=implicit-function-declaration"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=gnu11", "-fno-math-errno"] }
    }
  ]
}
