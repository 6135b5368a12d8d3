// Preloaded (NODE_OPTIONS --require) beside --cpu-prof in a profiled run's node processes: the
// engine stops its plugins with SIGINT, on which node would die without writing the profile.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => process.exit(0));
}
