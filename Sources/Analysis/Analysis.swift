/// The `Analysis` module. See README "Architecture" for what it owns and may import.
public enum AnalysisModule {}
