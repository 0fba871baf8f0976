// A frame of a gl-matrix scene, 10,000 entities: steer towards a target (vec3), spin (quat), build
// the model and MVP matrices (mat4), test the clip volume, derive the normal matrix (mat3 from
// mat4) and copy both into an instance buffer for the GPU. Each entity needs about 11 small
// temporaries of 12 to 64 bytes.
//
// frameIdiomatic is the code gl-matrix's documentation leads to: `vec3.create()` and friends, one
// Float32Array per temporary, left to the collector. frameArena is the same frame with its
// temporaries from an arena: the caller resets the arena after each frame. frameScratch scopes
// each entity instead, Zig's scratch buffer per loop iteration: a FixedBufferAllocator reset before
// every entity, so all 10,000 entities take the same bytes and the same 11 recycled view objects
// (a frame-long arena touches 110,000 views, 12 MB, every frame).
//
// Lines changed between frameIdiomatic and frameArena: 13 of 37 (`diff` of their bodies): the
// signature, the per-entity hook frameScratch uses, and the 11 lines that call create(), one of
// which, the normal matrix's, moved above the visibility test so that every frame makes the same
// allocations in the same order. An allocation made only for visible entities would move the
// offsets of everything after it whenever an entity crosses the clip volume, and the arena could
// recycle none of the views past that point (recycled views match by position, kind, length and
// offset); every other line is identical.
//
//   npx tsx examples/gl-matrix-frame.ts

import { mat3, mat4, quat, vec3, vec4 } from "gl-matrix";
import { ArenaAllocator, FixedBufferAllocator, Heap, type Allocator } from "wasm-arena";

export const ENTITIES = 10_000;
/** Floats per entity in the instance buffer: the MVP matrix (16) and the normal matrix (9). */
export const INSTANCE_FLOATS = 25;
/** Bytes one entity's temporaries take: 272 (five vec3, three vec4/quat, two mat4, a mat3), rounded up. */
export const ENTITY_SCRATCH_BYTES = 512;
const MAX_SPEED = 4;
const STEERING = 0.08;
const UP = vec3.fromValues(0, 1, 0);
const ORIGIN = vec4.fromValues(0, 0, 0, 1);

export interface Entity {
  position: vec3;
  velocity: vec3;
  rotation: quat;
  scale: vec3;
  /** Radians per second. */
  spin: number;
}

export interface World {
  entities: Entity[];
  target: vec3;
  viewProjection: mat4;
  /** What the frame hands to the GPU: INSTANCE_FLOATS per visible entity, packed. */
  instances: Float32Array;
  dt: number;
}

/** The same world for the same seed; `instances` may be any Float32Array of the right length. */
export function createWorld(count = ENTITIES, seed = 1, instances: Float32Array = new Float32Array(count * INSTANCE_FLOATS)): World {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const spread = (range: number) => (random() * 2 - 1) * range;
  const entities: Entity[] = [];
  for (let i = 0; i < count; i++) {
    const s = 0.5 + random();
    entities.push({
      position: vec3.fromValues(spread(60), spread(20), spread(60)),
      velocity: vec3.fromValues(spread(2), spread(2), spread(2)),
      rotation: quat.normalize(quat.create(), quat.fromValues(spread(1), spread(1), spread(1), 1)),
      scale: vec3.fromValues(s, s, s),
      spin: spread(3),
    });
  }
  const view = mat4.lookAt(mat4.create(), [0, 40, 90], [0, 0, 0], [0, 1, 0]);
  const projection = mat4.perspective(mat4.create(), Math.PI / 4, 16 / 9, 0.1, 500);
  return { entities, target: vec3.fromValues(10, 0, -5), viewProjection: mat4.multiply(mat4.create(), projection, view), instances, dt: 1 / 60 };
}

/** One frame with `create()` temporaries. Returns the number of visible entities. */
export function frameIdiomatic(world: World): number {
  const { entities, target, viewProjection, instances, dt } = world;
  let visible = 0;
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i];
    const toTarget = vec3.create();
    vec3.subtract(toTarget, target, e.position);
    const desired = vec3.create();
    vec3.scale(desired, vec3.normalize(desired, toTarget), MAX_SPEED);
    const steer = vec3.create();
    vec3.scale(steer, vec3.subtract(steer, desired, e.velocity), STEERING);
    vec3.add(e.velocity, e.velocity, steer);
    const step = vec3.create();
    vec3.add(e.position, e.position, vec3.scale(step, e.velocity, dt));
    const axis = vec3.create();
    vec3.normalize(axis, vec3.cross(axis, e.velocity, UP));
    const spin = quat.create();
    quat.setAxisAngle(spin, axis, e.spin * dt);
    const rotation = quat.create();
    quat.normalize(e.rotation, quat.multiply(rotation, e.rotation, spin));
    const model = mat4.create();
    mat4.fromRotationTranslationScale(model, e.rotation, e.position, e.scale);
    const mvp = mat4.create();
    mat4.multiply(mvp, viewProjection, model);
    const clip = vec4.create();
    vec4.transformMat4(clip, ORIGIN, mvp);
    const w = clip[3];
    if (w <= 0 || clip[0] < -w || clip[0] > w || clip[1] < -w || clip[1] > w || clip[2] < -w || clip[2] > w) continue;
    const normal = mat3.create();
    mat3.normalFromMat4(normal, model);
    instances.set(mvp, visible * INSTANCE_FLOATS);
    instances.set(normal, visible * INSTANCE_FLOATS + 16);
    visible++;
  }
  return visible;
}

/**
 * The same frame with its temporaries from `scratch`, an arena the caller resets after the frame;
 * `entityScope`, if given, is reset before each entity's first allocation (frameScratch passes the
 * fixed buffer `scratch` comes from).
 */
export function frameArena(world: World, scratch: Allocator, entityScope?: { reset(): void }): number {
  const { entities, target, viewProjection, instances, dt } = world;
  let visible = 0;
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i];
    entityScope?.reset();
    const toTarget = scratch.alloc("f32", 3);
    vec3.subtract(toTarget, target, e.position);
    const desired = scratch.alloc("f32", 3);
    vec3.scale(desired, vec3.normalize(desired, toTarget), MAX_SPEED);
    const steer = scratch.alloc("f32", 3);
    vec3.scale(steer, vec3.subtract(steer, desired, e.velocity), STEERING);
    vec3.add(e.velocity, e.velocity, steer);
    const step = scratch.alloc("f32", 3);
    vec3.add(e.position, e.position, vec3.scale(step, e.velocity, dt));
    const axis = scratch.alloc("f32", 3);
    vec3.normalize(axis, vec3.cross(axis, e.velocity, UP));
    const spin = scratch.alloc("f32", 4);
    quat.setAxisAngle(spin, axis, e.spin * dt);
    const rotation = scratch.alloc("f32", 4);
    quat.normalize(e.rotation, quat.multiply(rotation, e.rotation, spin));
    const model = scratch.alloc("f32", 16);
    mat4.fromRotationTranslationScale(model, e.rotation, e.position, e.scale);
    const mvp = scratch.alloc("f32", 16);
    mat4.multiply(mvp, viewProjection, model);
    const clip = scratch.alloc("f32", 4);
    vec4.transformMat4(clip, ORIGIN, mvp);
    const normal = scratch.alloc("f32", 9);
    const w = clip[3];
    if (w <= 0 || clip[0] < -w || clip[0] > w || clip[1] < -w || clip[1] > w || clip[2] < -w || clip[2] > w) continue;
    mat3.normalFromMat4(normal, model);
    instances.set(mvp, visible * INSTANCE_FLOATS);
    instances.set(normal, visible * INSTANCE_FLOATS + 16);
    visible++;
  }
  return visible;
}

/**
 * The same frame with each entity's temporaries from `scratch` (ENTITY_SCRATCH_BYTES or more),
 * reset before every entity: nothing an entity allocates outlives it (what survives goes into
 * `instances` and the entity's own vectors), so the frame needs one entity's bytes, not 10,000's.
 */
export function frameScratch(world: World, scratch: FixedBufferAllocator): number {
  return frameArena(world, scratch.allocator(), scratch);
}

/** A sum over the visible instances and every entity's state, weighted by position. */
export function worldChecksum(world: World, visible: number): number {
  let sum = visible;
  for (let i = 0; i < visible * INSTANCE_FLOATS; i++) sum += world.instances[i] * ((i % 13) + 1);
  for (const e of world.entities) sum += e.position[0] + 2 * e.position[1] + 3 * e.position[2] + e.rotation[3];
  return sum;
}

// Run as a program (not when imported by the benchmark or the tests).
if (typeof process !== "undefined" && import.meta.url === `file://${process.argv[1]}`) {
  const frames = 60;
  const idiomatic = createWorld();
  let visible = 0;
  for (let f = 0; f < frames; f++) visible = frameIdiomatic(idiomatic);
  console.log(`idiomatic: ${visible} visible, checksum ${worldChecksum(idiomatic, visible)}`);

  const heap = Heap.create({ initialBytes: 16 << 20 });
  using arena = new ArenaAllocator(heap.pageAllocator);
  const withArena = createWorld();
  for (let f = 0; f < frames; f++) {
    visible = frameArena(withArena, arena.allocator());
    arena.reset("retain_capacity");
  }
  console.log(`arena:     ${visible} visible, checksum ${worldChecksum(withArena, visible)}`);

  const scratch = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", ENTITY_SCRATCH_BYTES));
  const perEntity = createWorld();
  for (let f = 0; f < frames; f++) visible = frameScratch(perEntity, scratch);
  console.log(`scratch:   ${visible} visible, checksum ${worldChecksum(perEntity, visible)}`);
}
