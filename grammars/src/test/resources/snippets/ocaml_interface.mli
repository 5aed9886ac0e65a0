(** Word counting. *)

type t
(** A counter. *)

val empty : t
val add : string -> t -> t
val count : t -> string -> int

module type PRINTER = sig
  val print : t -> unit
end

exception Invalid of string
