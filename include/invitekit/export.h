/*
 * invitekit/export.h - export and linkage macros.
 *
 * IK_API marks every public declaration. The library is built with hidden
 * visibility and a linker version script, so only IK_API symbols named ik_*
 * are exported. Define IK_STATIC when linking the static library on Windows.
 */
#ifndef INVITEKIT_EXPORT_H
#define INVITEKIT_EXPORT_H

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(IK_BUILDING)
#define IK_API __declspec(dllexport)
#elif defined(IK_STATIC)
#define IK_API
#else
#define IK_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define IK_API __attribute__((visibility("default")))
#else
#define IK_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define IK_DEPRECATED(msg) __attribute__((deprecated(msg)))
#define IK_WARN_UNUSED     __attribute__((warn_unused_result))
#else
#define IK_DEPRECATED(msg)
#define IK_WARN_UNUSED
#endif

#ifdef __cplusplus
#define IK_BEGIN_DECLS extern "C" {
#define IK_END_DECLS   }
#else
#define IK_BEGIN_DECLS
#define IK_END_DECLS
#endif

#endif /* INVITEKIT_EXPORT_H */
