package io.anw.repl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One-line description of a {@link WB} facade method, shown by {@code :help} in the REPL.
 *
 * <p>{@code :help} is generated from these annotations, so every public facade method carries
 * one. {@link #group()} orders the listing by pipeline step (audio, tensor, model, ...).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Help {
  /** What the method does, in one line. */
  String value();

  /** Pipeline step the method belongs to; {@code :help} groups by it. */
  String group() default "general";

  /** A usage example, e.g. {@code WB.load("ckpt.pth")}. */
  String example() default "";
}
