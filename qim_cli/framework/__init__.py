"""The profile set: the framework, backgrounds, trainings and rules, loaded and cross-checked."""
