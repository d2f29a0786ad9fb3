/*
 * rnn_kernels.node: Node-API binding of the native fused recurrent kernels (kernels.h).
 *
 *   run(memory: ArrayBuffer, cmd: Float64Array, n0, n1, threads): runs the op list `cmd` — n0 ops of
 *     batch half 0, then n1 ops of half 1 — on `memory` (byte offsets). With threads = 2 and n1 > 0,
 *     half 1 goes to this JS thread's helper pthread while this thread runs half 0; if the helper
 *     has not started it when half 0 is done, this thread takes it back. The same ops run either way,
 *     so results are bit-identical with one and two threads.
 *   isa(): the instruction set in use ('avx512', 'avx2', 'base'); setIsa(name): a lower one (tests).
 *
 * The instruction set is chosen once from the CPU (__builtin_cpu_supports, which also checks that the
 * OS saves the wide registers). Node-API: ABI-stable, one build loads in Node and in Electron.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <pthread.h>
#define HAVE_THREADS 1
#endif

typedef int (*exec_fn)(char *mem, const double *cmd, int nops);
int exec_base(char *mem, const double *cmd, int nops);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
int exec_avx2(char *mem, const double *cmd, int nops);
int exec_avx512(char *mem, const double *cmd, int nops);
#define HAVE_X86 1
#endif

static const char *isa_name = "base";
static exec_fn exec_isa = exec_base;

static void choose_isa(void) {
#ifdef HAVE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("fma")) {
    isa_name = "avx512";
    exec_isa = exec_avx512;
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    isa_name = "avx2";
    exec_isa = exec_avx2;
  }
#endif
}

/* ------------------------------------------------------------------------------------------
 * The helper thread of one JS thread (Node-API instance data: one per environment). */

enum { IDLE, POSTED, RUNNING, DONE };

typedef struct {
#ifdef HAVE_THREADS
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_cond_t done;
#endif
  int started, exiting;
  atomic_int state;
  char *mem;
  const double *cmd;
  int nops;
  exec_fn fn;
} helper_t;

#ifdef HAVE_THREADS
static void *helper_main(void *arg) {
  helper_t *h = arg;
  pthread_mutex_lock(&h->lock);
  for (;;) {
    while (!h->exiting && atomic_load(&h->state) != POSTED) pthread_cond_wait(&h->wake, &h->lock);
    if (h->exiting) break;
    int expected = POSTED;
    if (!atomic_compare_exchange_strong(&h->state, &expected, RUNNING)) continue;
    pthread_mutex_unlock(&h->lock);
    h->fn(h->mem, h->cmd, h->nops);
    pthread_mutex_lock(&h->lock);
    atomic_store(&h->state, DONE);
    pthread_cond_signal(&h->done);
  }
  pthread_mutex_unlock(&h->lock);
  return NULL;
}

static int helper_start(helper_t *h) {
  if (h->started) return 1;
  pthread_mutex_init(&h->lock, NULL);
  pthread_cond_init(&h->wake, NULL);
  pthread_cond_init(&h->done, NULL);
  atomic_store(&h->state, IDLE);
  if (pthread_create(&h->thread, NULL, helper_main, h) != 0) return 0;
  h->started = 1;
  return 1;
}

/* Runs half 1 on the helper and half 0 here; takes half 1 back if the helper has not started it. */
static void run_split(helper_t *h, char *mem, const double *cmd0, int n0, const double *cmd1, int n1) {
  pthread_mutex_lock(&h->lock);
  h->mem = mem;
  h->cmd = cmd1;
  h->nops = n1;
  h->fn = exec_isa;
  atomic_store(&h->state, POSTED);
  pthread_cond_signal(&h->wake);
  pthread_mutex_unlock(&h->lock);
  exec_isa(mem, cmd0, n0);
  int expected = POSTED;
  if (atomic_compare_exchange_strong(&h->state, &expected, IDLE)) {
    exec_isa(mem, cmd1, n1);
    return;
  }
  pthread_mutex_lock(&h->lock);
  while (atomic_load(&h->state) != DONE) pthread_cond_wait(&h->done, &h->lock);
  atomic_store(&h->state, IDLE);
  pthread_mutex_unlock(&h->lock);
}
#endif

static void helper_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  helper_t *h = data;
#ifdef HAVE_THREADS
  if (h->started) {
    pthread_mutex_lock(&h->lock);
    h->exiting = 1;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->thread, NULL);
  }
#endif
  free(h);
}

/* ------------------------------------------------------------------------------------------
 * Bindings */

#define CHECK(call)                                                                                                    \
  if ((call) != napi_ok) {                                                                                             \
    napi_throw_error(env, NULL, "rnn_kernels: bad arguments");                                                         \
    return NULL;                                                                                                       \
  }

/* The byte length of the op list's first n ops starting at cmd. */
static size_t ops_length(const double *cmd, int n) {
  size_t p = 0;
  for (int i = 0; i < n; i++) p += 2 + (size_t)cmd[p + 1];
  return p;
}

static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) CHECK(napi_invalid_arg);
  void *mem;
  size_t memBytes;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &mem, &memBytes));
  napi_typedarray_type type;
  size_t length;
  void *cmdData;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &length, &cmdData, NULL, NULL));
  if (type != napi_float64_array) CHECK(napi_invalid_arg);
  int32_t n0, n1, threads;
  CHECK(napi_get_value_int32(env, argv[2], &n0));
  CHECK(napi_get_value_int32(env, argv[3], &n1));
  CHECK(napi_get_value_int32(env, argv[4], &threads));
  const double *cmd0 = cmdData;
  const double *cmd1 = cmd0 + ops_length(cmd0, n0);
#ifdef HAVE_THREADS
  helper_t *h = NULL;
  if (threads == 2 && n1 > 0) {
    CHECK(napi_get_instance_data(env, (void **)&h));
    if (h && helper_start(h)) {
      run_split(h, mem, cmd0, n0, cmd1, n1);
      return NULL;
    }
  }
#endif
  exec_isa(mem, cmd0, n0);
  if (n1 > 0) exec_isa(mem, cmd1, n1);
  return NULL;
}

static napi_value isa(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, isa_name, NAPI_AUTO_LENGTH, &out);
  return out;
}

/* Switches to a lower instruction set than the CPU's best ('base', 'avx2'): for tests and benches. */
static napi_value set_isa(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char name[16] = {0};
  size_t len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len));
  choose_isa();
  if (strcmp(name, "base") == 0) {
    isa_name = "base";
    exec_isa = exec_base;
  }
#ifdef HAVE_X86
  else if (strcmp(name, "avx2") == 0 && strcmp(isa_name, "base") != 0) {
    isa_name = "avx2";
    exec_isa = exec_avx2;
  }
#endif
  return isa(env, info);
}

NAPI_MODULE_INIT() {
  choose_isa();
  helper_t *h = calloc(1, sizeof *h);
  if (h) napi_set_instance_data(env, h, helper_finalize, NULL);
  napi_property_descriptor props[] = {
      {"run", NULL, run, NULL, NULL, NULL, napi_enumerable, NULL},
      {"isa", NULL, isa, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setIsa", NULL, set_isa, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
