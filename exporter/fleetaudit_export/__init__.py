"""fleetaudit-export: writes a fleetaudit snapshot of one AWS IoT account and region."""

# Kept equal to the project's VERSION in CMakeLists.txt (tests/exporter checks it).
__version__ = "0.1.0"
