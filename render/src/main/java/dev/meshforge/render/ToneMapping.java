// How scene radiance becomes display values.
package dev.meshforge.render;

/**
 * The tone curve applied after exposure and before sRGB encoding: Khronos PBR Neutral (keeps base colours
 * faithful up to about 0.8 and compresses highlights), ACES filmic (Narkowicz's fit), or none (clamped).
 */
public enum ToneMapping { PBR_NEUTRAL, ACES, NONE }
